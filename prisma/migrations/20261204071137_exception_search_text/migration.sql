-- The queue's free text, lower-cased once when a row is written: matching a common phrase
-- rechecks thousands of rows, and LIKE on a stored column costs a fraction of ILIKE on text
-- built from the message and the JSON of the external ids for each.
ALTER TABLE "SyncException"
  ADD COLUMN "searchText" TEXT GENERATED ALWAYS AS (lower(message || ' ' || "externalIds"::text)) STORED;

DROP INDEX "SyncException_search_trgm_idx";
CREATE INDEX "SyncException_search_trgm_idx" ON "SyncException" USING gin ("searchText" gin_trgm_ops);
