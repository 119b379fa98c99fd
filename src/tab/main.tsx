import { createRoot } from 'react-dom/client';
import { TabRoot } from './TabRoot.js';

const element = document.getElementById('root');
if (!element) throw new Error('The page has no #root element.');
createRoot(element).render(<TabRoot />);
