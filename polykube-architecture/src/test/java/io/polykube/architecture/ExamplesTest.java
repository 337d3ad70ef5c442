package io.polykube.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The examples ({@code samples}) use what a user can use: the public packages of polykube-api, the libraries a test
 * has anyway (fabric8's client, JUnit, AssertJ, slf4j, the JDK), commons-compress (which polykube-api brings; one example
 * reads the log bundle with it) and the project's one poll helper, polykube-testing.
 */
@AnalyzeClasses(packages = "io.polykube.samples")
class ExamplesTest {

    @ArchTest
    static final ArchRule examplesUseOnlyThePublicApi = classes().that().resideInAPackage("io.polykube.samples..")
            .should().onlyDependOnClassesThat().resideInAnyPackage(allowed())
            .because("users copy the examples: whatever they use must be public API (STYLE.md 14)");

    private static String[] allowed() {
        String[] others = {"io.polykube.samples..", "io.polykube.testing..", "io.fabric8..", "org.junit..", "org.assertj..",
                "org.slf4j..", "org.apache.commons.compress..", "java..", "javax..",
                // the JDK's own HTTP server (module jdk.httpserver, exported API): the webhook samples serve with it
                "com.sun.net.httpserver.."};
        String[] api = Architecture.apiPublic();
        String[] out = new String[api.length + others.length];
        System.arraycopy(api, 0, out, 0, api.length);
        System.arraycopy(others, 0, out, api.length, others.length);
        return out;
    }
}
