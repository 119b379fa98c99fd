/** The Adaptive Cards renderer writes plain text through innerText, which jsdom does not implement. */
export function polyfillInnerText(): void {
  if (Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'innerText')) return;
  Object.defineProperty(HTMLElement.prototype, 'innerText', {
    configurable: true,
    get(this: HTMLElement) {
      return this.textContent;
    },
    set(this: HTMLElement, value: string) {
      this.textContent = value;
    },
  });
}
