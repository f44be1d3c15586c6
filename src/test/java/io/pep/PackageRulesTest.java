package io.pep;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layers of docs/code-layout.md, checked on pep's compiled classes: capabilities never use the
 * HTTP edge, the vocabulary and the store use no other pep package, and no two packages depend on
 * each other.
 */
class PackageRulesTest {

    private static final String[] EDGE = {"io.pep.api..", "io.pep.auth..", "io.pep.dashboard.."};
    private static final String[] CAPABILITIES = {"io.pep.provisioning..", "io.pep.lookup..", "io.pep.export..",
        "io.pep.attempts..", "io.pep.observe..", "io.pep.injector..", "io.pep.gateway..", "io.pep.listing.."};

    private static JavaClasses pep;

    @BeforeAll
    static void importPep() {
        pep = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.pep");
    }

    @Test
    void capabilitiesDoNotUseTheHttpEdge() {
        noClasses().that().resideInAnyPackage(CAPABILITIES)
                .should().dependOnClassesThat(resideInAnyPackage(EDGE))
                .check(pep);
    }

    @Test
    void theVocabularyAndTheStoreUseNoOtherPepPackage() {
        for (String alone : new String[] {"io.pep.identity..", "io.pep.store.."}) {
            noClasses().that().resideInAPackage(alone)
                    .should().dependOnClassesThat(resideInAPackage("io.pep..").and(not(resideInAPackage(alone))))
                    .check(pep);
        }
    }

    @Test
    void noTwoPackagesDependOnEachOther() {
        slices().matching("io.pep.(*)..").should().beFreeOfCycles()
                .check(pep);
    }
}
