-- CreateTable
CREATE TABLE "DeliveryLatency" (
    "routine" "Routine" NOT NULL,
    "legalEntityId" TEXT NOT NULL,
    "changedHour" TIMESTAMPTZ(3) NOT NULL,
    "finishedHour" TIMESTAMPTZ(3) NOT NULL,
    "seconds" INTEGER NOT NULL,
    "deliveries" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "DeliveryLatency_pkey" PRIMARY KEY ("changedHour","routine","legalEntityId","finishedHour","seconds")
);

-- CreateTable
CREATE TABLE "ExceptionDay" (
    "legalEntityId" TEXT NOT NULL,
    "routine" "Routine" NOT NULL,
    "team" "Team" NOT NULL,
    "day" DATE NOT NULL,
    "created" INTEGER NOT NULL DEFAULT 0,
    "open" INTEGER NOT NULL DEFAULT 0,
    "resolved" INTEGER NOT NULL DEFAULT 0,
    "closed" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ExceptionDay_pkey" PRIMARY KEY ("legalEntityId","routine","team","day")
);

-- CreateTable
CREATE TABLE "ExceptionResolveTime" (
    "legalEntityId" TEXT NOT NULL,
    "team" "Team" NOT NULL,
    "day" DATE NOT NULL,
    "seconds" INTEGER NOT NULL,
    "resolved" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ExceptionResolveTime_pkey" PRIMARY KEY ("day","team","legalEntityId","seconds")
);

-- CreateTable
CREATE TABLE "InvoiceRejectionDay" (
    "legalEntityId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "rejections" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "InvoiceRejectionDay_pkey" PRIMARY KEY ("day","legalEntityId","reason")
);

-- CreateIndex
CREATE INDEX "ExceptionDay_day_idx" ON "ExceptionDay"("day");

-- CreateIndex
CREATE INDEX "SyncRun_routine_legalEntityId_startedAt_idx" ON "SyncRun"("routine", "legalEntityId", "startedAt");

-- CreateIndex
CREATE INDEX "SyncException_firstSeenAt_idx" ON "SyncException"("firstSeenAt");

-- CreateIndex
CREATE INDEX "SyncException_resolvedAt_idx" ON "SyncException"("resolvedAt");



-- The stuck-activation list and its week-ago count read only activation exceptions on deals.
CREATE INDEX "SyncException_activation_held_idx" ON "SyncException" ("firstSeenAt")
  WHERE routine = 'project_activation' AND "objectType" = 'Engagement';

-- Like the unbilled-work rollups: each statement's rows before (taken away) and after (added),
-- summed per key, applied in key order so that concurrent batches lock rollup rows in one order;
-- keys whose sums cancel out (an update that moves no figure) are not written at all.
CREATE FUNCTION delivery_latency_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed text := CASE TG_OP
    WHEN 'INSERT' THEN 'SELECT *, 1 AS sign FROM new_rows'
    WHEN 'DELETE' THEN 'SELECT *, -1 AS sign FROM old_rows'
    ELSE 'SELECT *, 1 AS sign FROM new_rows UNION ALL SELECT *, -1 AS sign FROM old_rows'
  END;
BEGIN
  EXECUTE format($sql$
    INSERT INTO "DeliveryLatency" AS d (routine, "legalEntityId", "changedHour", "finishedHour", seconds, deliveries)
    SELECT l.routine, r."legalEntityId", date_trunc('hour', l."sourceChangedAt", 'UTC'),
           date_trunc('hour', l."finishedAt", 'UTC'),
           floor(extract(epoch FROM l."finishedAt" - l."sourceChangedAt"))::int, sum(l.sign)
      FROM (%s) l JOIN "SyncRun" r ON r.id = l."runId"
     WHERE l.outcome = 'delivered' AND l."sourceChangedAt" IS NOT NULL
     GROUP BY 1, 2, 3, 4, 5
    HAVING sum(l.sign) <> 0
     ORDER BY 3, 1, 2, 4, 5
    ON CONFLICT ("changedHour", routine, "legalEntityId", "finishedHour", seconds) DO UPDATE
      SET deliveries = d.deliveries + EXCLUDED.deliveries$sql$, changed);
  RETURN NULL;
END
$$;

CREATE TRIGGER ledger_entry_latency_insert AFTER INSERT ON "LedgerEntry"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION delivery_latency_rollup();
CREATE TRIGGER ledger_entry_latency_update AFTER UPDATE ON "LedgerEntry"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION delivery_latency_rollup();
CREATE TRIGGER ledger_entry_latency_delete AFTER DELETE ON "LedgerEntry"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION delivery_latency_rollup();

-- Days are UTC days. Exceptions without a legal entity are in no dashboard, so in no rollup.
CREATE FUNCTION exception_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed text := CASE TG_OP
    WHEN 'INSERT' THEN 'SELECT *, 1 AS sign FROM new_rows'
    WHEN 'DELETE' THEN 'SELECT *, -1 AS sign FROM old_rows'
    ELSE 'SELECT *, 1 AS sign FROM new_rows UNION ALL SELECT *, -1 AS sign FROM old_rows'
  END;
BEGIN
  EXECUTE format($sql$
    INSERT INTO "ExceptionDay" AS d ("legalEntityId", routine, team, day, created, open, resolved, closed)
    SELECT "legalEntityId", routine, team, day, sum(created), sum(open), sum(resolved), sum(closed)
      FROM (SELECT "legalEntityId", routine, team, ("firstSeenAt" AT TIME ZONE 'UTC')::date AS day, sign AS created,
                   CASE WHEN status IN ('open', 'assigned', 'in_progress') THEN sign ELSE 0 END AS open,
                   0 AS resolved, 0 AS closed
              FROM (%1$s) e WHERE "legalEntityId" IS NOT NULL
            UNION ALL
            SELECT "legalEntityId", routine, team, ("resolvedAt" AT TIME ZONE 'UTC')::date, 0, 0,
                   CASE WHEN status = 'resolved' THEN sign ELSE 0 END, sign
              FROM (%1$s) e WHERE "legalEntityId" IS NOT NULL AND "resolvedAt" IS NOT NULL) x
     GROUP BY 1, 2, 3, 4
    HAVING sum(created) <> 0 OR sum(open) <> 0 OR sum(resolved) <> 0 OR sum(closed) <> 0
     ORDER BY 1, 2, 3, 4
    ON CONFLICT ("legalEntityId", routine, team, day) DO UPDATE
      SET created = d.created + EXCLUDED.created, open = d.open + EXCLUDED.open,
          resolved = d.resolved + EXCLUDED.resolved, closed = d.closed + EXCLUDED.closed$sql$, changed);
  EXECUTE format($sql$
    INSERT INTO "ExceptionResolveTime" AS t ("legalEntityId", team, day, seconds, resolved)
    SELECT "legalEntityId", team, ("resolvedAt" AT TIME ZONE 'UTC')::date,
           floor(extract(epoch FROM "resolvedAt" - "firstSeenAt"))::int, sum(sign)
      FROM (%s) e
     WHERE "legalEntityId" IS NOT NULL AND status = 'resolved' AND "resolvedAt" IS NOT NULL
     GROUP BY 1, 2, 3, 4
    HAVING sum(sign) <> 0
     ORDER BY 3, 2, 1, 4
    ON CONFLICT (day, team, "legalEntityId", seconds) DO UPDATE
      SET resolved = t.resolved + EXCLUDED.resolved$sql$, changed);
  EXECUTE format($sql$
    INSERT INTO "InvoiceRejectionDay" AS r ("legalEntityId", reason, day, rejections)
    SELECT "legalEntityId", coalesce("targetCode", code), ("firstSeenAt" AT TIME ZONE 'UTC')::date, sum(sign)
      FROM (%s) e
     WHERE "legalEntityId" IS NOT NULL AND routine = 'billing_eligibility' AND code = 'TARGET_REJECTED'
     GROUP BY 1, 2, 3
    HAVING sum(sign) <> 0
     ORDER BY 3, 1, 2
    ON CONFLICT (day, "legalEntityId", reason) DO UPDATE
      SET rejections = r.rejections + EXCLUDED.rejections$sql$, changed);
  RETURN NULL;
END
$$;

CREATE TRIGGER sync_exception_rollup_insert AFTER INSERT ON "SyncException"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION exception_rollup();
CREATE TRIGGER sync_exception_rollup_update AFTER UPDATE ON "SyncException"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION exception_rollup();
CREATE TRIGGER sync_exception_rollup_delete AFTER DELETE ON "SyncException"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION exception_rollup();

-- Backfill from the rows already there, with the same figures the triggers keep.
INSERT INTO "DeliveryLatency" (routine, "legalEntityId", "changedHour", "finishedHour", seconds, deliveries)
SELECT l.routine, r."legalEntityId", date_trunc('hour', l."sourceChangedAt", 'UTC'), date_trunc('hour', l."finishedAt", 'UTC'),
       floor(extract(epoch FROM l."finishedAt" - l."sourceChangedAt"))::int, count(*)
  FROM "LedgerEntry" l JOIN "SyncRun" r ON r.id = l."runId"
 WHERE l.outcome = 'delivered' AND l."sourceChangedAt" IS NOT NULL
 GROUP BY 1, 2, 3, 4, 5;

INSERT INTO "ExceptionDay" ("legalEntityId", routine, team, day, created, open, resolved, closed)
SELECT "legalEntityId", routine, team, day, sum(created), sum(open), sum(resolved), sum(closed)
  FROM (SELECT "legalEntityId", routine, team, ("firstSeenAt" AT TIME ZONE 'UTC')::date AS day, 1 AS created,
               CASE WHEN status IN ('open', 'assigned', 'in_progress') THEN 1 ELSE 0 END AS open, 0 AS resolved, 0 AS closed
          FROM "SyncException" WHERE "legalEntityId" IS NOT NULL
        UNION ALL
        SELECT "legalEntityId", routine, team, ("resolvedAt" AT TIME ZONE 'UTC')::date, 0, 0,
               CASE WHEN status = 'resolved' THEN 1 ELSE 0 END, 1
          FROM "SyncException" WHERE "legalEntityId" IS NOT NULL AND "resolvedAt" IS NOT NULL) x
 GROUP BY 1, 2, 3, 4;

INSERT INTO "ExceptionResolveTime" ("legalEntityId", team, day, seconds, resolved)
SELECT "legalEntityId", team, ("resolvedAt" AT TIME ZONE 'UTC')::date, floor(extract(epoch FROM "resolvedAt" - "firstSeenAt"))::int, count(*)
  FROM "SyncException"
 WHERE "legalEntityId" IS NOT NULL AND status = 'resolved' AND "resolvedAt" IS NOT NULL
 GROUP BY 1, 2, 3, 4;

INSERT INTO "InvoiceRejectionDay" ("legalEntityId", reason, day, rejections)
SELECT "legalEntityId", coalesce("targetCode", code), ("firstSeenAt" AT TIME ZONE 'UTC')::date, count(*)
  FROM "SyncException"
 WHERE "legalEntityId" IS NOT NULL AND routine = 'billing_eligibility' AND code = 'TARGET_REJECTED'
 GROUP BY 1, 2, 3;
