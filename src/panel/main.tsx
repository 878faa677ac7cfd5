import { render } from 'preact';
import './panel.css';
import { applyTheme, initialTheme } from './theme';
import { PanelApp } from './components/panel-app';

applyTheme(initialTheme(), false);
const root = document.getElementById('app');
if (root) render(<PanelApp />, root);
