-- Field maps (source field → canonical attribute, with transforms) join the value maps in each
-- version and draft of a scope; versions published before carry none.

-- AlterTable
ALTER TABLE "FieldMappingVersion" ADD COLUMN     "fieldMaps" JSONB NOT NULL DEFAULT '[]';

-- AlterTable
ALTER TABLE "FieldMappingDraft" ADD COLUMN     "fieldMaps" JSONB NOT NULL DEFAULT '[]';

