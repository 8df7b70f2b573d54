/* The meeting's council follows its district in the admin (plans/admin.py, MeetingForm).
   The council's autocomplete asks the server for the chosen district's council only
   (districts/admin.py, CouncilAdmin.get_search_results), and a council chosen for another
   district is cleared when staff pick a different district. The server refuses a council of
   another district in any case; this only keeps staff from choosing one.
   Both fields are Django's select2 autocompletes, which speak through jQuery (django.jQuery). */
'use strict';
{
  const $ = window.django && window.django.jQuery;

  function districtOf(council) {
    return council.form && council.form.elements.namedItem(council.dataset.follows);
  }

  // Adds the district to each search the council's autocomplete sends.
  function askForTheDistrict(council) {
    const select2 = $(council).data('select2');
    const ajax = select2 && select2.dataAdapter && select2.dataAdapter.ajaxOptions;
    if (!ajax || ajax.followsDistrict) return;
    const data = ajax.data;
    ajax.data = function (params) {
      const query = typeof data === 'function' ? data.call(this, params) : {...data};
      const district = districtOf(council);
      if (district && district.value) query.district = district.value;
      return query;
    };
    ajax.followsDistrict = true;
  }

  function init() {
    for (const council of document.querySelectorAll('select[data-follows]')) {
      const district = districtOf(council);
      if (!district) continue;
      $(council).on('select2:opening', () => askForTheDistrict(council));
      $(district).on('change', () => {
        if (council.value) $(council).val(null).trigger('change');
      });
    }
  }

  if ($) $(init);
}
