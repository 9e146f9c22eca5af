/** Entry point of the browser bundle. */
import { render } from 'preact';
import { App } from './ui/app.js';

const root = document.getElementById('app');
if (root !== null) render(<App />, root);
