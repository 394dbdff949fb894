-- CreateTable
CREATE TABLE "ReferenceRecord" (
    "connectionId" UUID NOT NULL,
    "objectType" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "canonicalId" UUID NOT NULL,
    "parentId" TEXT,
    "subsidiary" TEXT,
    "changedAt" TIMESTAMPTZ(3) NOT NULL,
    "data" JSONB NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ReferenceRecord_pkey" PRIMARY KEY ("connectionId","objectType","externalId")
);

-- CreateTable
CREATE TABLE "ReferenceCursor" (
    "connectionId" UUID NOT NULL,
    "objectType" TEXT NOT NULL,
    "cursor" TEXT NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ReferenceCursor_pkey" PRIMARY KEY ("connectionId","objectType")
);

-- CreateIndex
CREATE INDEX "ReferenceRecord_connectionId_objectType_parentId_idx" ON "ReferenceRecord"("connectionId", "objectType", "parentId");

