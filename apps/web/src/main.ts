/** The browser app's entry: mounts the app into the page. */
import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';
import './hook.ts';

const target = document.getElementById('app');
if (!target) throw new Error('the page has no #app element to mount into');
mount(App, { target });
