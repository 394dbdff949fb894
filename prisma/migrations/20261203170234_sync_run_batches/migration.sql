-- AlterTable
ALTER TABLE "SyncRun" ADD COLUMN     "batches" INTEGER NOT NULL DEFAULT 0;

