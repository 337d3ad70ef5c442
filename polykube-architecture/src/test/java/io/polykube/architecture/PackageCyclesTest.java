package io.polykube.architecture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** No two packages of any module need each other, directly or through others. */
@AnalyzeClasses(packages = "io.polykube", importOptions = Architecture.MainClassesAndExamples.class)
class PackageCyclesTest {

    @ArchTest
    static final ArchRule packagesAreFreeOfCycles = slices().matching("io.polykube.(**)").should().beFreeOfCycles();
}
