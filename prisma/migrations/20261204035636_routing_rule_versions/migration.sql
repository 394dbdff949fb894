-- Routing rules become versioned: the rules in force today are carried into version 1, so
-- placement does not change for a running firm.

-- DropIndex
DROP INDEX "RoutingRule_position_idx";

-- CreateTable
CREATE TABLE "RoutingRuleVersion" (
    "version" INTEGER NOT NULL,
    "note" TEXT NOT NULL,
    "createdBy" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RoutingRuleVersion_pkey" PRIMARY KEY ("version")
);

-- CreateTable
CREATE TABLE "RoutingRuleDraft" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "baseVersion" INTEGER NOT NULL,
    "rules" JSONB NOT NULL,
    "updatedBy" TEXT NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "RoutingRuleDraft_pkey" PRIMARY KEY ("id")
);

INSERT INTO "RoutingRuleVersion" ("version", "note", "createdBy")
SELECT 1, 'The routing rules in force when routing rules became versioned', NULL
WHERE EXISTS (SELECT 1 FROM "RoutingRule");

-- AlterTable
ALTER TABLE "RoutingRule" DROP COLUMN "updatedAt",
ADD COLUMN     "amountCurrency" TEXT,
ADD COLUMN     "maxAmount" DECIMAL(18,4),
ADD COLUMN     "version" INTEGER;

-- Same order as before, numbered 1, 2, 3… as the console shows them; rules that shared a position
-- keep the order the engine read them in (by id).
UPDATE "RoutingRule" r SET "version" = 1, "position" = ordered.rank
FROM (SELECT id, row_number() OVER (ORDER BY "position", id) AS rank FROM "RoutingRule") ordered
WHERE ordered.id = r.id;

ALTER TABLE "RoutingRule" ALTER COLUMN "version" SET NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "RoutingRule_version_position_key" ON "RoutingRule"("version", "position");

-- AddForeignKey
ALTER TABLE "RoutingRule" ADD CONSTRAINT "RoutingRule_version_fkey" FOREIGN KEY ("version") REFERENCES "RoutingRuleVersion"("version") ON DELETE RESTRICT ON UPDATE CASCADE;
