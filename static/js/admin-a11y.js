/* Names for the controls Django's admin draws without a label of their own, so screen readers
   (and axe-core) can tell them apart: the cells of tabular inlines (named by their column),
   the date and time halves of a date-and-time field, and the boxes select2 puts over the
   autocomplete lists. Loaded on every admin page (templates/admin/base_site.html), deferred:
   it runs before the admin starts select2 and again whenever a row or a box is added. */
'use strict';
{
  const clean = (value) => (value || '').replace(/\s+/g, ' ').replace(/[:：]\s*$/, '').trim();

  function ensureId(element, prefix) {
    if (!element.id) {
      ensureId.count = (ensureId.count || 0) + 1;
      element.id = `${prefix}-${ensureId.count}`;
    }
    return element.id;
  }

  // The heading of the tabular inline column a control sits in.
  function columnHeading(control) {
    const cell = control.closest('td');
    const table = cell && cell.closest('table');
    if (!table || !table.tHead) return null;
    const headings = table.tHead.querySelectorAll('th');
    if (cell.classList.contains('delete')) return headings[headings.length - 1] || null;
    const column = [...cell.classList].find((name) => name.startsWith('field-'));
    return column ? table.tHead.querySelector(`th.column-${column.slice(6)}`) : null;
  }

  // The text just before a control inside the same block ("日付:" in a date-and-time field).
  function textBefore(control) {
    let node = control.previousSibling;
    while (node && node.nodeType === Node.TEXT_NODE && !node.textContent.trim()) {
      node = node.previousSibling;
    }
    return node && node.nodeType === Node.TEXT_NODE ? clean(node.textContent) : '';
  }

  function rowLabel(control) {
    const row = control.closest('.form-row, .fieldBox');
    const label = row && row.querySelector('label');
    return label ? clean(label.textContent) : '';
  }

  function hasName(control) {
    return (control.labels && control.labels.length > 0)
      || control.hasAttribute('aria-label') || control.hasAttribute('aria-labelledby');
  }

  function nameOf(control) {
    const heading = columnHeading(control);
    const part = textBefore(control);
    const whole = heading ? clean(heading.textContent) : rowLabel(control);
    return [whole, part].filter(Boolean).join(' ');
  }

  function nameControls(root) {
    const controls = root.querySelectorAll(
      '#content-main input:not([type=hidden]), #content-main select, #content-main textarea');
    for (const control of controls) {
      if (hasName(control)) continue;
      const name = nameOf(control);
      if (name) control.setAttribute('aria-label', name);
    }
    // select2's box stands in for the list it hides: give it the list's name.
    for (const box of root.querySelectorAll('.select2-selection[role=combobox]')) {
      const container = box.closest('.select2-container');
      const select = container && container.previousElementSibling;
      if (!select || select.tagName !== 'SELECT') continue;
      const label = select.labels && select.labels[0];
      const name = label ? clean(label.textContent) : (select.getAttribute('aria-label') || nameOf(select));
      if (!name) continue;
      if (box.getAttribute('aria-label') !== name) box.setAttribute('aria-label', name);
      const shown = box.querySelector('.select2-selection__rendered');
      if (shown && shown.id && shown.textContent.trim()) {
        const labelledBy = label ? `${ensureId(label, 'label')} ${shown.id}` : '';
        if (labelledBy && box.getAttribute('aria-labelledby') !== labelledBy) {
          box.setAttribute('aria-labelledby', labelledBy);
        } else if (!labelledBy) {
          box.removeAttribute('aria-labelledby');
        }
      } else if (box.hasAttribute('aria-labelledby')) {
        box.removeAttribute('aria-labelledby');
      }
      // select2 gives the text it shows the role of a text box: it needs the name too.
      for (const field of box.querySelectorAll('[role=textbox], .select2-search__field')) {
        if (field.getAttribute('aria-label') !== name) field.setAttribute('aria-label', name);
      }
    }
  }

  // The magnifier Django puts in the search box of a two-list picker (users' permissions) is
  // named with aria-label, which a plain <span> may not carry: it is an image.
  function nameIcons(root) {
    for (const icon of root.querySelectorAll('span.search-label-icon[aria-label]:not([role])')) {
      icon.setAttribute('role', 'img');
    }
  }

  // A list of several choices has a remove button on each choice; select2's extra "remove all"
  // button would sit in its list of choices as a stray element, so it is left out.
  for (const select of document.querySelectorAll('select.admin-autocomplete[multiple]')) {
    select.dataset.allowClear = 'false';
  }

  let pending = false;
  function schedule() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      nameControls(document);
      nameIcons(document);
    });
  }

  document.addEventListener('DOMContentLoaded', () => {
    nameControls(document);
    nameIcons(document);
    new MutationObserver(schedule).observe(document.body, {childList: true, subtree: true});
  });
}
