import { createRoot } from 'react-dom/client';
import { PaneRoot } from './PaneRoot.js';

const element = document.getElementById('root');
if (!element) throw new Error('The page has no #root element.');
createRoot(element).render(<PaneRoot />);
