// The app's menu, reachable from every page (a button in the top corner of the column, and the side
// panel on wide screens): the pages the bottom bar has no room for (Rights, "Was this made on
// Figment?", your likeness) and the language switch.

import { h, icon, openSheet, langSwitch } from './ui.js';
import { t } from './i18n.js';
import { currentUser } from './session.js';

function pages() {
  const me = currentUser();
  return [
    { href: '/provenance', label: t('links.provenance'), iconName: 'check', testid: 'link-provenance' },
    { href: '/rights', label: t('links.rights'), iconName: 'flag', testid: 'link-rights' },
    me ? { href: '/likeness', label: t('links.likeness'), iconName: 'face', testid: 'link-likeness' } : null,
    me ? { href: '/notifications', label: t('links.notifications'), iconName: 'bell', testid: 'link-notifications' } : null,
  ].filter(Boolean);
}

function linkList(onPick) {
  return h('ul', { class: 'app-links' }, pages().map((p) => h('li', {},
    h('a', { href: p.href, class: 'app-link', testid: p.testid, onclick: onPick }, icon(p.iconName), h('span', {}, p.label)))));
}

export function openAppMenu() {
  let sheet = null;
  const body = h('div', { class: 'app-menu', testid: 'app-menu' },
    h('nav', { 'aria-label': t('links.title') }, linkList(() => sheet && sheet.close())),
    h('div', { class: 'app-menu-lang' }, h('span', { class: 'label' }, t('links.language')), langSwitch()));
  sheet = openSheet({ title: t('links.title'), body, className: 'menu-sheet' });
  return sheet;
}

// `corner`: the one button pinned to the column's corner (pages); otherwise one inside a header (feeds).
export function appMenuButton({ corner = false } = {}) {
  return h('button', {
    type: 'button', class: `${corner ? 'app-menu-corner ' : ''}app-menu-button icon-button glass`,
    id: corner ? 'app-menu-button' : null, testid: 'app-menu-button',
    'aria-haspopup': 'dialog', 'aria-label': t('links.label'), onclick: () => openAppMenu(),
  }, icon('menu'));
}

// Wide screens: the same links and the language switch, always in view beside the column.
export function sideLinks() {
  return h('div', { class: 'side-links', testid: 'side-links' },
    h('nav', { 'aria-label': t('links.title') }, linkList(null)),
    langSwitch());
}
