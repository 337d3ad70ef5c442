/**
 * Faults on demand at the real API server: {@link io.polykube.api.faults.Fault} rules (which requests, what happens to
 * them, how often), the {@link io.polykube.api.faults.Faults} of a running cluster that injects them and gives out
 * clients that go through its fault proxy, and the {@link io.polykube.api.faults.FaultLog} of what was injected.
 */
package io.polykube.api.faults;
