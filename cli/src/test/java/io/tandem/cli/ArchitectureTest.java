package io.tandem.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Keeps the module arrows of DESIGN.md honest: dependencies point one way. */
class ArchitectureTest {
    private static JavaClasses tandem;

    @BeforeAll
    static void importTandem() {
        tandem = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.tandem");
    }

    @Test
    void modelUsesOnlyTheJdk() {
        classes().that().resideInAPackage("io.tandem.model..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("io.tandem.model..", "java..")
                .check(tandem);
    }

    @Test
    void allocatorUsesOnlyTheModel() {
        classes().that().resideInAPackage("io.tandem.allocator..")
                .should().onlyDependOnClassesThat()
                .resideInAnyPackage("io.tandem.allocator..", "io.tandem.model..", "java..")
                .check(tandem);
    }

    @Test
    void apiHasNoBehaviourOfOtherLayers() {
        noClasses().that().resideInAPackage("io.tandem.api..")
                .should().dependOnClassesThat()
                .resideInAnyPackage("io.tandem.allocator..", "io.tandem.master..", "io.tandem.agent..", "io.tandem.sdk..")
                .check(tandem);
    }

    @Test
    void masterAgentAndSdkDoNotKnowEachOther() {
        noClasses().that().resideInAPackage("io.tandem.master..")
                .should().dependOnClassesThat().resideInAnyPackage("io.tandem.agent..", "io.tandem.sdk..")
                .check(tandem);
        noClasses().that().resideInAPackage("io.tandem.agent..")
                .should().dependOnClassesThat()
                .resideInAnyPackage("io.tandem.master..", "io.tandem.sdk..", "io.tandem.allocator..")
                .check(tandem);
        noClasses().that().resideInAPackage("io.tandem.sdk..")
                .should().dependOnClassesThat()
                .resideInAnyPackage("io.tandem.master..", "io.tandem.agent..", "io.tandem.allocator..")
                .check(tandem);
    }

    @Test
    void nobodyImportsTheCli() {
        noClasses().that().resideOutsideOfPackage("io.tandem.cli..")
                .should().dependOnClassesThat().resideInAPackage("io.tandem.cli..")
                .check(tandem);
    }
}
