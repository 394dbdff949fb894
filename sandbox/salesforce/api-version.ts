/** The one REST API version the emulator serves; clients must ask for exactly this one. */
export const SALESFORCE_API_VERSION = '62.0';

/** Root of every versioned REST resource, as Salesforce prints it in `url` attributes. */
export const API_ROOT = `/services/data/v${SALESFORCE_API_VERSION}`;

/** Versions listed by `GET /services/data/`; only the pinned one is served. */
export const LISTED_VERSIONS = [
  { label: "Spring '24", version: '60.0' },
  { label: "Summer '24", version: '61.0' },
  { label: "Winter '25", version: '62.0' },
] as const;
