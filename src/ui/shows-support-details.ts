import { createContext } from 'react';

/**
 * Whether the signed-in person is IT, who support asks for codes and request ids; the shells provide it.
 * A module of its own: the shells load with the first screen, the details (an accordion) only with an error.
 */
export const ShowsSupportDetails = createContext(false);
