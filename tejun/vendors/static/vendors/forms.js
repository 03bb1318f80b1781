// vendors: the contract list offers only the contracts of the contractor chosen above it.
// (Options read "事業者名：契約名"; the service refuses a mismatch anyway, this only saves a round trip.)
(function () {
  "use strict";
  function setUp() {
    var contractor = document.getElementById("id_contractor");
    var contract = document.getElementById("id_contract");
    if (!contractor || !contract) return;
    function filter() {
      var chosen = contractor.options[contractor.selectedIndex];
      var prefix = chosen && chosen.value ? chosen.text + "：" : null;
      Array.prototype.forEach.call(contract.options, function (option) {
        var hide = Boolean(option.value) && prefix !== null && option.text.indexOf(prefix) !== 0;
        option.hidden = hide;
        option.disabled = hide;
        if (hide && option.selected) contract.value = "";
      });
    }
    contractor.addEventListener("change", filter);
    filter();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
