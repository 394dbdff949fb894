-- Value mappings become versioned per connection and legal entity: the mappings in force today
-- are carried into version 1 of their scope, so the engine reads what it read before.

-- DropIndex
DROP INDEX "FieldMapping_connectionId_legalEntityId_kind_sourceValue_key";

-- AlterTable
ALTER TABLE "FieldMapping" ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 1;

-- CreateTable
CREATE TABLE "FieldMappingVersion" (
    "connectionId" UUID NOT NULL,
    "legalEntityId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "note" TEXT NOT NULL,
    "createdBy" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FieldMappingVersion_pkey" PRIMARY KEY ("connectionId","legalEntityId","version")
);

-- CreateTable
CREATE TABLE "FieldMappingDraft" (
    "connectionId" UUID NOT NULL,
    "legalEntityId" TEXT NOT NULL,
    "baseVersion" INTEGER NOT NULL,
    "mappings" JSONB NOT NULL,
    "updatedBy" TEXT NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "FieldMappingDraft_pkey" PRIMARY KEY ("connectionId","legalEntityId")
);

-- CreateIndex
CREATE UNIQUE INDEX "FieldMapping_connectionId_legalEntityId_version_kind_source_key" ON "FieldMapping"("connectionId", "legalEntityId", "version", "kind", "sourceValue");


INSERT INTO "FieldMappingVersion" ("connectionId", "legalEntityId", "version", "note", "createdBy")
SELECT DISTINCT "connectionId", "legalEntityId", 1, 'The mappings in force when mappings became versioned', NULL::text
FROM "FieldMapping";
