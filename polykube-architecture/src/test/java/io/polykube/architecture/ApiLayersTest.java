package io.polykube.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * polykube-api in three layers, one way: the facade ({@code Cluster}, the JUnit extension) over the engine
 * ({@code api.internal..}) over the public values (spec, status, layout, images, audit, errors).
 */
@AnalyzeClasses(packages = "io.polykube.api", importOptions = ImportOption.DoNotIncludeTests.class)
class ApiLayersTest {

    @ArchTest
    static final ArchRule layersImportOnlyDownward = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("facade").definedBy(Architecture.API_FACADE)
            .layer("engine").definedBy(Architecture.API_ENGINE)
            .layer("values").definedBy(Architecture.API_VALUES)
            .whereLayer("facade").mayNotBeAccessedByAnyLayer()
            .whereLayer("engine").mayOnlyBeAccessedByLayers("facade")
            .whereLayer("values").mayOnlyBeAccessedByLayers("facade", "engine")
            .because("users compile against the facade and the values; the engine is free to change under them");

    @ArchTest
    static final ArchRule everyPackageIsInALayer = classes().that().resideInAPackage("io.polykube.api..")
            .should().resideInAnyPackage(concat(Architecture.API_FACADE, Architecture.API_ENGINE, Architecture.API_VALUES))
            .because("a new package of polykube-api takes its place in one of the three layers (see ARCHITECTURE.md)");

    private static String[] concat(String[]... parts) {
        return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(String[]::new);
    }
}
