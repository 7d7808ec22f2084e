namespace Compliance.Migrations.PostgreSql;

/// <summary>
/// The PostgreSQL form of the binding copies (Compliance.Data.Configurations.DatabaseCopies): trigger functions in
/// PL/pgSQL. A binding's own copies are filled by BEFORE triggers (the row is written once, not inserted then
/// updated as on SQLite and SQL Server); a rename of a workload, customer or model is carried to its bindings by
/// AFTER triggers that fire only when a copied column really changed. Dollar quotes are tagged <c>$fn$</c>: the
/// idempotent script wraps every statement in <c>DO $EF$ … $EF$</c>, which also needs each to end with a semicolon.
/// </summary>
internal static class BindingCopiesSql
{
    public static readonly string[] Up =
    [
        """
        CREATE OR REPLACE FUNCTION "Bindings_Copies"() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
            SELECT w."CustomerId", c."Name", w."Name", w."ImpactLevel"
            INTO NEW."CustomerId", NEW."CustomerName", NEW."WorkloadName", NEW."ImpactLevel"
            FROM "Workloads" w JOIN "Customers" c ON c."Id" = w."CustomerId" WHERE w."Id" = NEW."WorkloadId";
            SELECT m."DisplayName" INTO NEW."ModelName" FROM "Models" m WHERE m."Id" = NEW."ModelId";
            RETURN NEW;
        END
        $fn$;
        """,
        """
        CREATE TRIGGER "TR_Bindings_Copies_Insert" BEFORE INSERT ON "Bindings"
        FOR EACH ROW EXECUTE FUNCTION "Bindings_Copies"();
        """,
        """
        CREATE TRIGGER "TR_Bindings_Copies_Update" BEFORE UPDATE OF "WorkloadId", "ModelId" ON "Bindings"
        FOR EACH ROW WHEN (OLD."WorkloadId" IS DISTINCT FROM NEW."WorkloadId" OR OLD."ModelId" IS DISTINCT FROM NEW."ModelId")
        EXECUTE FUNCTION "Bindings_Copies"();
        """,
        """
        CREATE OR REPLACE FUNCTION "Workloads_Copies"() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
            UPDATE "Bindings" SET "WorkloadName" = NEW."Name", "ImpactLevel" = NEW."ImpactLevel", "CustomerId" = NEW."CustomerId",
                "CustomerName" = (SELECT c."Name" FROM "Customers" c WHERE c."Id" = NEW."CustomerId")
            WHERE "WorkloadId" = NEW."Id";
            RETURN NULL;
        END
        $fn$;
        """,
        """
        CREATE TRIGGER "TR_Workloads_Copies_Update" AFTER UPDATE OF "Name", "ImpactLevel", "CustomerId" ON "Workloads"
        FOR EACH ROW WHEN (OLD."Name" IS DISTINCT FROM NEW."Name" OR OLD."ImpactLevel" IS DISTINCT FROM NEW."ImpactLevel"
            OR OLD."CustomerId" IS DISTINCT FROM NEW."CustomerId")
        EXECUTE FUNCTION "Workloads_Copies"();
        """,
        """
        CREATE OR REPLACE FUNCTION "Customers_Copies"() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
            UPDATE "Bindings" SET "CustomerName" = NEW."Name" WHERE "CustomerId" = NEW."Id";
            RETURN NULL;
        END
        $fn$;
        """,
        """
        CREATE TRIGGER "TR_Customers_Copies_Update" AFTER UPDATE OF "Name" ON "Customers"
        FOR EACH ROW WHEN (OLD."Name" IS DISTINCT FROM NEW."Name") EXECUTE FUNCTION "Customers_Copies"();
        """,
        """
        CREATE OR REPLACE FUNCTION "Models_Copies"() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
            UPDATE "Bindings" SET "ModelName" = NEW."DisplayName" WHERE "ModelId" = NEW."Id";
            RETURN NULL;
        END
        $fn$;
        """,
        """
        CREATE TRIGGER "TR_Models_Copies_Update" AFTER UPDATE OF "DisplayName" ON "Models"
        FOR EACH ROW WHEN (OLD."DisplayName" IS DISTINCT FROM NEW."DisplayName") EXECUTE FUNCTION "Models_Copies"();
        """,
    ];

    /// <summary>Dropping the functions drops their triggers with them.</summary>
    public static readonly string[] Down =
    [
        "DROP FUNCTION IF EXISTS \"Bindings_Copies\"() CASCADE;",
        "DROP FUNCTION IF EXISTS \"Workloads_Copies\"() CASCADE;",
        "DROP FUNCTION IF EXISTS \"Customers_Copies\"() CASCADE;",
        "DROP FUNCTION IF EXISTS \"Models_Copies\"() CASCADE;",
    ];
}
