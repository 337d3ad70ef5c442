package io.polykube.architecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;

/** The packages the rules speak of; ARCHITECTURE.md draws them. */
final class Architecture {
    /** polykube-api's top layer: the cluster and its lifecycle, the JUnit extension. May use everything below. */
    static final String[] API_FACADE = {"io.polykube.api", "io.polykube.api.junit.."};
    /** polykube-api's middle layer: the engine. Never imports the facade; no user compiles against it. */
    static final String[] API_ENGINE = {"io.polykube.api.internal.."};
    /** polykube-api's bottom layer: the public values (spec, status, layout, images, audit, errors). Import nothing above. */
    static final String[] API_VALUES = {"io.polykube.api.spec..", "io.polykube.api.status..", "io.polykube.api.layout..",
            "io.polykube.api.images..", "io.polykube.api.audit..", "io.polykube.api.error..", "io.polykube.api.webhook..",
            "io.polykube.api.faults.."};

    private Architecture() {
    }

    /** The public packages of polykube-api: what users (and the examples) compile against. */
    static String[] apiPublic() {
        String[] out = new String[API_FACADE.length + API_VALUES.length];
        System.arraycopy(API_FACADE, 0, out, 0, API_FACADE.length);
        System.arraycopy(API_VALUES, 0, out, API_FACADE.length, API_VALUES.length);
        return out;
    }

    /**
     * Every module's main classes and the examples (which are test classes of {@code samples}); not the other modules'
     * tests, nor these rules.
     */
    static final class MainClassesAndExamples implements ImportOption {
        private static final ImportOption MAIN = new ImportOption.DoNotIncludeTests();

        @Override
        public boolean includes(Location location) {
            return MAIN.includes(location) || location.contains("/samples/") || location.contains("/samples-");
        }
    }
}
