-- Stored ids were the cookie secrets themselves: drop those sessions (everyone signs in again).
DELETE FROM "AuthSession";

-- AlterTable
ALTER TABLE "AuthSession" DROP CONSTRAINT "AuthSession_pkey",
ALTER COLUMN "id" DROP DEFAULT,
ALTER COLUMN "id" SET DATA TYPE TEXT,
ADD CONSTRAINT "AuthSession_pkey" PRIMARY KEY ("id");

