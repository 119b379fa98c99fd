// Placeholder while the page is being built; replaced before it lands.
export default function Placeholder() {
  return null;
}
