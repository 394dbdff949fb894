/** The credentials each kind of system needs, as an admin enters them (in this order). */
export const CREDENTIAL_FIELDS = {
  salesforce: [
    { key: 'clientId', label: 'Client ID', secret: false },
    { key: 'clientSecret', label: 'Client secret', secret: true },
    { key: 'tokenUrl', label: 'Token URL', secret: false },
  ],
  netsuite: [
    { key: 'accountId', label: 'Account ID', secret: false },
    { key: 'consumerKey', label: 'Consumer key', secret: true },
    { key: 'consumerSecret', label: 'Consumer secret', secret: true },
    { key: 'tokenId', label: 'Token ID', secret: true },
    { key: 'tokenSecret', label: 'Token secret', secret: true },
  ],
  stripe: [{ key: 'secretKey', label: 'Secret key', secret: true }],
} as const satisfies Record<string, readonly { key: string; label: string; secret: boolean }[]>;
