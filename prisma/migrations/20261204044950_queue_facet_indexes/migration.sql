-- CreateIndex
CREATE INDEX "SyncException_firstSeenAt_id_idx" ON "SyncException"("firstSeenAt", "id");


-- The queue's other sort keys, so a broad filter's first page walks an index instead of sorting
-- every matching row. Each expression is the one SORT_KEYS in list-exceptions.ts orders by.
CREATE INDEX "SyncException_due_sort_idx" ON "SyncException"
  ((coalesce("dueAt", 'infinity'::timestamptz)), "id");
CREATE INDEX "SyncException_priority_sort_idx" ON "SyncException"
  ((CASE "priority" WHEN 'urgent' THEN 3 WHEN 'high' THEN 2 WHEN 'normal' THEN 1 ELSE 0 END) DESC, "id" DESC);
CREATE INDEX "SyncException_amount_sort_idx" ON "SyncException"
  ((coalesce("amount", '-Infinity'::numeric)) DESC, "id" DESC);

-- Every column the facet counts group, filter or count on, so they are an index-only scan of a
-- narrow index rather than a pass over the wide rows.
CREATE INDEX "SyncException_facets_idx" ON "SyncException"("status", "team", "code", "legalEntityId")
  INCLUDE ("routine", "kind", "priority", "assigneeId", "dueAt", "firstSeenAt");
