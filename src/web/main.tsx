import { render } from 'preact';
import { App } from './app.js';

// The entry point of the bundle: renders the dashboard into <div id="app"> of index.html.
const root = document.getElementById('app');
if (root) render(<App storage={window.sessionStorage} />, root);
