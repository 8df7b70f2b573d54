/* The meeting's council follows its district in the admin (plans/admin.py, MeetingForm).
   The council's autocomplete asks the server for the chosen district's council only
   (districts/admin.py, CouncilAdmin.get_search_results), and a council chosen for another
   district is cleared when staff pick a different district. The server refuses a council of
   another district in any case; this only keeps staff from choosing one.
   Both fields are Django's select2 autocompletes, which speak through jQuery (django.jQuery). */
'use strict';
{
  function districtOf(council) {
    return council.form && council.form.elements.namedItem(council.dataset.follows);
  }

  // Adds the district to each search the council's autocomplete sends: Django's autocomplete
  // names the list it fills (app, model, field) in the query, so the list is found by those.
  function askForTheDistrict(options) {
    if (typeof options.data !== 'string') return;
    const query = new URLSearchParams(options.data);
    for (const council of document.querySelectorAll('select[data-follows]')) {
      if (council.dataset.appLabel !== query.get('app_label')
          || council.dataset.modelName !== query.get('model_name')
          || council.dataset.fieldName !== query.get('field_name')) continue;
      const district = districtOf(council);
      if (district && district.value) {
        query.set(council.dataset.follows, district.value);
        options.data = query.toString();
      }
    }
  }

  // Django's jQuery is there once the page is read (this file may come before jquery.init.js).
  function init() {
    const $ = window.django && window.django.jQuery;
    if (!$) return;
    $.ajaxPrefilter(askForTheDistrict);
    for (const council of document.querySelectorAll('select[data-follows]')) {
      const district = districtOf(council);
      if (!district) continue;
      $(district).on('change', () => {
        if (council.value) $(council).val(null).trigger('change');
      });
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
}
