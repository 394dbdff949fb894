-- CreateTable
CREATE TABLE "BillableWork" (
    "canonicalId" UUID NOT NULL,
    "legalEntityId" TEXT NOT NULL,
    "sourceType" TEXT NOT NULL,
    "sourceId" TEXT NOT NULL,
    "projectId" TEXT,
    "traceKey" UUID,
    "amount" DECIMAL(18,4),
    "currency" TEXT NOT NULL,
    "workDate" DATE NOT NULL,
    "firstSeenAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "billedAt" TIMESTAMPTZ(3),
    "billedInvoice" TEXT,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "BillableWork_pkey" PRIMARY KEY ("canonicalId")
);

-- CreateTable
CREATE TABLE "UnbilledWorkDay" (
    "legalEntityId" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "workDate" DATE NOT NULL,
    "amount" DECIMAL(18,4) NOT NULL DEFAULT 0,
    "records" INTEGER NOT NULL DEFAULT 0,
    "unpriced" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "UnbilledWorkDay_pkey" PRIMARY KEY ("legalEntityId","currency","workDate")
);

-- CreateTable
CREATE TABLE "UnbilledWorkChange" (
    "legalEntityId" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "amount" DECIMAL(18,4) NOT NULL DEFAULT 0,

    CONSTRAINT "UnbilledWorkChange_pkey" PRIMARY KEY ("legalEntityId","currency","day")
);

-- CreateIndex
CREATE INDEX "BillableWork_legalEntityId_workDate_idx" ON "BillableWork"("legalEntityId", "workDate");


-- The drill-down lists unbilled work of an entity by work day; billed work (most of it) is not in this index.
CREATE INDEX "BillableWork_unbilled_idx" ON "BillableWork" ("legalEntityId", "workDate", "canonicalId")
  WHERE "billedAt" IS NULL;

-- The rollups follow BillableWork statement by statement: each statement's rows before (taken
-- away) and after (added), summed per key and applied in key order, so concurrent batches lock
-- the rollup rows in the same order.
CREATE FUNCTION unbilled_work_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed text := CASE TG_OP
    WHEN 'INSERT' THEN 'SELECT *, 1 AS sign FROM new_rows'
    WHEN 'DELETE' THEN 'SELECT *, -1 AS sign FROM old_rows'
    ELSE 'SELECT *, 1 AS sign FROM new_rows UNION ALL SELECT *, -1 AS sign FROM old_rows'
  END;
BEGIN
  EXECUTE format($sql$
    INSERT INTO "UnbilledWorkDay" AS d ("legalEntityId", currency, "workDate", amount, records, unpriced)
    SELECT "legalEntityId", currency, "workDate", sum(coalesce(amount, 0) * sign), sum(sign),
           sum(CASE WHEN amount IS NULL THEN sign ELSE 0 END)
      FROM (%s) r
     WHERE "billedAt" IS NULL
     GROUP BY 1, 2, 3
     ORDER BY 1, 2, 3
    ON CONFLICT ("legalEntityId", currency, "workDate") DO UPDATE
      SET amount = d.amount + EXCLUDED.amount, records = d.records + EXCLUDED.records,
          unpriced = d.unpriced + EXCLUDED.unpriced$sql$, changed);
  -- Work counts as unbilled from its work day until the (UTC) day it is billed.
  EXECUTE format($sql$
    INSERT INTO "UnbilledWorkChange" AS c ("legalEntityId", currency, day, amount)
    SELECT "legalEntityId", currency, day, sum(amount)
      FROM (SELECT "legalEntityId", currency, "workDate" AS day, coalesce(amount, 0) * sign AS amount FROM (%1$s) r
            UNION ALL
            SELECT "legalEntityId", currency, ("billedAt" AT TIME ZONE 'UTC')::date, -coalesce(amount, 0) * sign
              FROM (%1$s) r WHERE "billedAt" IS NOT NULL) x
     GROUP BY 1, 2, 3
     ORDER BY 1, 2, 3
    ON CONFLICT ("legalEntityId", currency, day) DO UPDATE SET amount = c.amount + EXCLUDED.amount$sql$, changed);
  RETURN NULL;
END
$$;

CREATE TRIGGER billable_work_rollup_insert AFTER INSERT ON "BillableWork"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION unbilled_work_rollup();
CREATE TRIGGER billable_work_rollup_update AFTER UPDATE ON "BillableWork"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION unbilled_work_rollup();
CREATE TRIGGER billable_work_rollup_delete AFTER DELETE ON "BillableWork"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION unbilled_work_rollup();
