-- DropIndex
DROP INDEX "SyncException_firstSeenAt_idx";

