/**
 * The two MSAL clients the tab, the pane and the sign-in page create, loaded with `import()` of this module
 * rather than of the package: the bundler then keeps only what these need (an `import()` of the package
 * itself brings all of it, about 8 kB gzipped more, onto every host start).
 */
export { createNestablePublicClientApplication, createStandardPublicClientApplication } from '@azure/msal-browser';
