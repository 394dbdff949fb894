-- AlterTable
ALTER TABLE "Delivery" ADD COLUMN     "parentId" TEXT;

-- CreateIndex
CREATE INDEX "Delivery_parentId_idx" ON "Delivery"("parentId");

