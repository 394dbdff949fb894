-- The deal (or other object) an exception is about, kept by the database from its first external
-- id, so that a covering index answers the stuck-activation figures without reading the rows.
ALTER TABLE "SyncException"
  ADD COLUMN "subjectExternalId" TEXT GENERATED ALWAYS AS (("externalIds" -> 0) ->> 'externalId') STORED;

DROP INDEX "SyncException_activation_held_idx";
CREATE INDEX "SyncException_activation_held_idx" ON "SyncException" ("firstSeenAt")
  INCLUDE ("subjectExternalId", status, "legalEntityId", "resolvedAt", id)
  WHERE routine = 'project_activation' AND "objectType" = 'Engagement';
