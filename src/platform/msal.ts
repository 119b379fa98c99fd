/**
 * What the tab, the pane and the sign-in page use of MSAL, loaded with `import()` of this module rather than
 * of the package: the bundler keeps only what these need (an `import()` of the package brings all of it).
 * The redirect bridge is here too, so MSAL is one chunk: split between the bridge and the clients it was two,
 * about 4 kB gzipped more on every host start. The sign-in page, where the bridge runs, then loads all of it,
 * but only after the tab or the pane did: from the browser's cache (assets are immutable, staticwebapp.config.json).
 */
export { createNestablePublicClientApplication, createStandardPublicClientApplication } from '@azure/msal-browser';
export { broadcastResponseToMainFrame } from '@azure/msal-browser/redirect-bridge';
