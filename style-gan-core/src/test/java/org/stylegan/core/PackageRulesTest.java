package org.stylegan.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules that each package-info.java states, checked on the compiled classes: dependencies point one
 * way (facade, then train, then net, then internal, then nn) and no two packages depend on each other.
 */
class PackageRulesTest {
    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        core = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.stylegan.core");
    }

    @Test
    void noPackageCycles() {
        slices().matching("org.stylegan.core.(*)..").should().beFreeOfCycles().check(core);
    }

    @Test
    void nothingInCoreUsesTheFacade() {
        noClasses().that().resideOutsideOfPackage("org.stylegan.core")
                .should().dependOnClassesThat().resideInAPackage("org.stylegan.core").check(core);
    }

    @Test
    void trainerUsesNetworksAndPlumbingOnly() {
        noClasses().that().resideInAPackage("org.stylegan.core.train..")
                .should().dependOnClassesThat().resideInAPackage("org.stylegan.core").check(core);
    }

    @Test
    void networksDoNotUseTheTrainer() {
        noClasses().that().resideInAPackage("org.stylegan.core.net..")
                .should().dependOnClassesThat().resideInAnyPackage("org.stylegan.core", "org.stylegan.core.train..")
                .check(core);
    }

    @Test
    void plumbingUsesOnlyTheLayers() {
        noClasses().that().resideInAPackage("org.stylegan.core.internal..")
                .should().dependOnClassesThat().resideInAnyPackage("org.stylegan.core", "org.stylegan.core.train..",
                        "org.stylegan.core.net..")
                .check(core);
    }

    @Test
    void layersUseNoOtherPackageOfOurs() {
        noClasses().that().resideInAPackage("org.stylegan.core.nn..")
                .should().dependOnClassesThat().resideInAnyPackage("org.stylegan.core", "org.stylegan.core.train..",
                        "org.stylegan.core.net..", "org.stylegan.core.internal..")
                .check(core);
    }
}
