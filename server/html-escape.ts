/** Text made safe inside HTML text and attribute values: the small pages the API and the local stand-ins answer. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
