package io.polykube.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The modules depend on each other one way, as their poms say: nothing below imports what is above it, the product
 * modules (conformance, cli, benchmarks) and the examples are imported by nothing (but conformance by the CLI).
 */
@AnalyzeClasses(packages = "io.polykube", importOptions = Architecture.MainClassesAndExamples.class)
class ModuleDependenciesTest {

    @ArchTest
    static final ArchRule modulesImportOnlyDownward = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("testing").definedBy("io.polykube.testing..")
            .layer("files").definedBy("io.polykube.files..")
            .layer("net").definedBy("io.polykube.net..")
            .layer("pki").definedBy("io.polykube.pki..")
            .layer("config").definedBy("io.polykube.config..")
            .layer("runtime").definedBy("io.polykube.runtime..")
            .layer("api").definedBy("io.polykube.api..")
            .layer("conformance").definedBy("io.polykube.conformance..")
            .layer("cli").definedBy("io.polykube.cli..")
            .layer("benchmarks").definedBy("io.polykube.benchmarks..")
            .layer("samples").definedBy("io.polykube.samples..")

            .whereLayer("testing").mayNotAccessAnyLayer()
            .whereLayer("files").mayNotAccessAnyLayer()
            .whereLayer("net").mayNotAccessAnyLayer()
            .whereLayer("pki").mayOnlyAccessLayers("files", "net")
            .whereLayer("config").mayOnlyAccessLayers("files", "net")
            .whereLayer("runtime").mayOnlyAccessLayers("files", "net", "pki", "config")
            .whereLayer("api").mayOnlyAccessLayers("files", "net", "pki", "config", "runtime")
            .whereLayer("conformance").mayOnlyAccessLayers("files", "net", "pki", "config", "runtime", "api")
            .whereLayer("cli").mayOnlyAccessLayers("files", "net", "pki", "config", "runtime", "api", "conformance")
            .whereLayer("benchmarks").mayOnlyAccessLayers("files", "net", "pki", "config", "runtime", "api")
            .whereLayer("samples").mayOnlyAccessLayers("api", "testing")

            .whereLayer("conformance").mayOnlyBeAccessedByLayers("cli")
            .whereLayer("cli").mayNotBeAccessedByAnyLayer()
            .whereLayer("benchmarks").mayNotBeAccessedByAnyLayer()
            .whereLayer("samples").mayNotBeAccessedByAnyLayer()
            .whereLayer("testing").mayOnlyBeAccessedByLayers("samples")
            .because("a lower module is useful alone (DESIGN.md), and the product and the examples sit on top of the library");
}
