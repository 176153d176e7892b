// `@provider-sdk/core/node`: the parts of core that need Node.js (the file system and node:crypto).
// Kept out of the main entry so that a client bundles for browsers and workers without them.
export { EncryptedFileTokenStore, type EncryptedFileTokenStoreOptions, parseTokenKey, TOKEN_KEY_ENV } from './token-stores/encrypted-file.js';
export { FileTokenStore, type FileTokenStoreOptions, type TokenFileDocument, TokenFileRejected } from './token-stores/file.js';
