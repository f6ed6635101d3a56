package io.poolwatch;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The runtime's package structure, checked on its compiled classes: no package depends on another that depends back on
 * it, the base packages depend on nothing above them, and only {@code work} makes threads for poolwatch's own work.
 */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.poolwatch");
    }

    @Test
    void noPackageCycles() {
        slices().matching("io.poolwatch.(*)..").should().beFreeOfCycles().check(classes);
        slices().matching("io.poolwatch.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void theBasePackagesDependOnNothingAboveThem() {
        // The engines' differences: every other package asks a Dialect rather than branching on the engine.
        noClasses().that().resideInAPackage("io.poolwatch.engine..").should()
                .dependOnClassesThat(outside("io.poolwatch.engine"))
                .check(classes);
        noClasses().that().resideInAPackage("io.poolwatch.config..").should()
                .dependOnClassesThat(outside("io.poolwatch.config", "io.poolwatch.engine"))
                .check(classes);
        noClasses().that().resideInAPackage("io.poolwatch.work..").should().dependOnClassesThat(outside("io.poolwatch.work"))
                .check(classes);
        noClasses().that().resideInAPackage("io.poolwatch.store..").should()
                .dependOnClassesThat(outside("io.poolwatch.store", "io.poolwatch.config", "io.poolwatch.engine"))
                .check(classes);
        noClasses().that().resideInAPackage("io.poolwatch.pool..").should()
                .dependOnClassesThat(outside("io.poolwatch.pool", "io.poolwatch.config", "io.poolwatch.engine"))
                .check(classes);
    }

    @Test
    void onlyBackgroundWorkMakesThreads() {
        noClasses().that().resideOutsideOfPackage("io.poolwatch.work").and()
                // The hot path's clock ticks on a thread of its own, whatever else waits (see its Javadoc).
                .doNotHaveFullyQualifiedName("io.poolwatch.pool.CoarseClock").should()
                .dependOnClassesThat()
                .belongToAnyOf(Executors.class, ThreadPoolExecutor.class, ScheduledThreadPoolExecutor.class,
                        ForkJoinPool.class)
                .orShould().callConstructorWhere(target(owner(JavaClass.Predicates.assignableTo(Thread.class))))
                .check(classes);
    }

    /** Classes of poolwatch outside the given packages (and their sub-packages). */
    private static DescribedPredicate<JavaClass> outside(String... packages) {
        return DescribedPredicate.describe("in poolwatch outside " + String.join(", ", packages), c -> {
            if (!c.getPackageName().startsWith("io.poolwatch.")) {
                return false;
            }
            for (String p : packages) {
                if (c.getPackageName().equals(p) || c.getPackageName().startsWith(p + ".")) {
                    return false;
                }
            }
            return true;
        });
    }
}
