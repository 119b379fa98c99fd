/**
 * A copy of the string in one flat piece. Strings built by concatenation or slicing keep the text they
 * came from alive (V8's cons and sliced strings): a job that holds 100,000 of them holds that text too.
 */
export const flat = (text: string): string => Buffer.from(text, 'utf8').toString('utf8');
