-- AlterTable
ALTER TABLE "SyncException" ADD COLUMN     "autoRetries" INTEGER NOT NULL DEFAULT 0;

