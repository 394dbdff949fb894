-- CreateTable
CREATE TABLE "FxRate" (
    "fromCurrency" TEXT NOT NULL,
    "toCurrency" TEXT NOT NULL,
    "validFrom" DATE NOT NULL,
    "rate" DECIMAL(18,8) NOT NULL,
    "createdBy" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FxRate_pkey" PRIMARY KEY ("fromCurrency","toCurrency","validFrom")
);

