import { runSignInPage } from './sign-in-page.js';

void runSignInPage();
