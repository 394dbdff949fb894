-- CreateTable
CREATE TABLE "ConnectionHealth" (
    "connectionId" UUID NOT NULL,
    "lastSuccessAt" TIMESTAMPTZ(3),
    "lastErrorAt" TIMESTAMPTZ(3),
    "lastError" TEXT,
    "rateLimitUsed" INTEGER,
    "rateLimitLimit" INTEGER,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ConnectionHealth_pkey" PRIMARY KEY ("connectionId")
);

