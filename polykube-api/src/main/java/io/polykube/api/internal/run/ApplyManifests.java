package io.polykube.api.internal.run;

/** Applies the spec's manifests, CustomResourceDefinitions first, and waits for them ({@link ManifestApplier}). */
final class ApplyManifests implements StartStep {

    @Override
    public void run(Start start) {
        new ManifestApplier(start.run.client(), start.spec.name(), start.spec.mode()).apply(start.spec.manifests(), start.deadline());
    }
}
