package dev.vigil;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** vigil-core is pure domain logic: no JDBC, HTTP, DuckDB, Kafka, Spark or servlets, and no upward dependencies. */
@AnalyzeClasses(packages = "dev.vigil", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    static final ArchRule coreUsesNoInfrastructure = noClasses().that().resideInAPackage("dev.vigil..")
            .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "java.net.http..", "org.duckdb..",
                    "org.apache.kafka..", "org.apache.spark..", "io.javalin..", "jakarta.servlet..")
            .because("vigil-core holds pure domain logic; infrastructure belongs in the modules around it");

    @ArchTest
    static final ArchRule domainDoesNotKnowItsUsers = noClasses()
            .that().resideInAnyPackage("dev.vigil.model..", "dev.vigil.ingest..", "dev.vigil.config..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.vigil.store..", "dev.vigil.cli..")
            .because("the store and the CLI depend on the domain, never the other way round");
}
