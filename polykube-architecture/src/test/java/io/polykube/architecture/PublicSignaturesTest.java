package io.polykube.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.properties.HasName;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What users see of a public class of polykube-api (its supertypes, and the types of its public and protected fields,
 * constructors and methods, type arguments and thrown exceptions included) names no engine type.
 */
@AnalyzeClasses(packages = "io.polykube.api", importOptions = ImportOption.DoNotIncludeTests.class)
class PublicSignaturesTest {
    private static final String ENGINE = "io.polykube.api.internal";

    @ArchTest
    static final ArchRule publicSignaturesNameNoEngineType = classes().that().resideInAnyPackage(Architecture.apiPublic())
            .and().arePublic()
            .should(exposeNoEngineType())
            .because("users compile against the public packages alone; the engine is free to change (STYLE.md 13)");

    private static ArchCondition<JavaClass> exposeNoEngineType() {
        return new ArchCondition<>("expose no type of " + ENGINE + " in a public or protected signature") {
            @Override
            public void check(JavaClass type, ConditionEvents events) {
                Set<JavaClass> seen = new LinkedHashSet<>();
                type.getRawSuperclass().ifPresent(seen::add);
                seen.addAll(type.getRawInterfaces());
                report(type, "its supertypes", seen, events);
                for (JavaMember member : type.getMembers()) {
                    if (!visible(member)) {
                        continue;
                    }
                    Set<JavaClass> involved = new LinkedHashSet<>();
                    if (member instanceof JavaField field) {
                        involved.addAll(field.getType().getAllInvolvedRawTypes());
                    } else if (member instanceof JavaCodeUnit code) {
                        involved.addAll(code.getReturnType().getAllInvolvedRawTypes());
                        code.getParameterTypes().forEach(p -> involved.addAll(p.getAllInvolvedRawTypes()));
                        code.getThrowsClause().getTypes().forEach(t -> involved.add(t));
                    }
                    report(type, member.getFullName(), involved, events);
                }
            }
        };
    }

    private static boolean visible(JavaMember member) {
        return member.getModifiers().contains(JavaModifier.PUBLIC) || member.getModifiers().contains(JavaModifier.PROTECTED);
    }

    private static void report(JavaClass owner, String where, Set<JavaClass> types, ConditionEvents events) {
        for (JavaClass t : types) {
            if (engine.test(t)) {
                events.add(SimpleConditionEvent.violated(owner, owner.getName() + ": " + where + " names the engine type "
                        + t.getName()));
            }
        }
    }

    private static final DescribedPredicate<HasName> engine = DescribedPredicate.describe("an engine type",
            t -> t.getName().startsWith(ENGINE + "."));
}
