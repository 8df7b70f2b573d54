/*
 * Budget totals while typing (grant application budget and year-end report).
 *
 * The server shows the totals of what was last saved; this keeps them current as amounts are
 * typed, read the way the server reads them (full-width digits, commas and 円 allowed). Rows
 * marked for removal are left out. Without JavaScript the page works, one save behind.
 */
(function () {
  "use strict";

  function parseAmount(text) {
    var value = (text || "").normalize("NFKC").replace(/[,、円¥\\\s]/g, "");
    return /^\d+$/.test(value) ? parseInt(value, 10) : 0;
  }

  function yen(template, amount) {
    return template.replace("{amount}", amount.toLocaleString("en-US"));
  }

  function update(form, box) {
    var sums = { income: 0, expense: 0 };
    form.querySelectorAll("[data-budget-amount]").forEach(function (input) {
      var row = input.closest("[data-budget-row]");
      var removal = row && row.querySelector('input[type="checkbox"][name$="-DELETE"]');
      if (removal && removal.checked) {
        return;
      }
      sums[input.getAttribute("data-budget-amount")] += parseAmount(input.value);
    });
    var format = box.getAttribute("data-yen-format");
    var gap = Math.abs(sums.income - sums.expense);
    var status = box.getAttribute(
      sums.income === sums.expense
        ? "data-balanced"
        : sums.income > sums.expense
          ? "data-more-income"
          : "data-more-expense"
    );
    show(box.querySelector('[data-total="income"]'), "{amount}", yen(format, sums.income));
    show(box.querySelector('[data-total="expense"]'), "{amount}", yen(format, sums.expense));
    show(box.querySelector('[data-total="difference"]'), "{amount}", yen(format, gap));
    show(box.querySelector('[data-total="status"]'), status, yen(format, gap));
  }

  // The text with the figure in place of {amount}, in the span the yen filter puts around
  // figures so that they never break across lines (docs/conventions.md, "Line breaks").
  function show(element, text, figure) {
    element.textContent = "";
    text.split("{amount}").forEach(function (part, index) {
      if (index > 0) {
        var span = document.createElement("span");
        span.className = "amount";
        span.textContent = figure;
        element.appendChild(span);
      }
      if (part) {
        element.appendChild(document.createTextNode(part));
      }
    });
  }

  function start() {
    document.querySelectorAll("[data-budget-totals]").forEach(function (box) {
      var form = box.closest("form");
      if (!form) {
        return;
      }
      var refresh = function () {
        update(form, box);
      };
      form.addEventListener("input", refresh);
      form.addEventListener("change", refresh);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
