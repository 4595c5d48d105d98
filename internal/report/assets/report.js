// Filtering for the leakwatch HTML report. Runs only on this page's own
// elements and never touches the network.
(function () {
  'use strict';
  var q = document.getElementById('q');
  var company = document.getElementById('f-company');
  var kind = document.getElementById('f-kind');
  var reset = document.getElementById('f-reset');
  var shown = document.getElementById('shown');
  var none = document.getElementById('none');
  var cards = Array.prototype.slice.call(document.querySelectorAll('article.card'));
  if (!q || !company || !kind || cards.length === 0) {
    return;
  }
  var texts = cards.map(function (c) { return c.textContent.toLowerCase(); });

  function matches(card, i, term, who, what) {
    if (who && card.getAttribute('data-company') !== who) {
      return false;
    }
    var kinds = card.getAttribute('data-kinds') || '';
    if (what === '*' && kinds === '') {
      return false;
    }
    if (what && what !== '*' && kinds.split('|').indexOf(what) < 0) {
      return false;
    }
    return term === '' || texts[i].indexOf(term) >= 0;
  }

  function apply() {
    var term = q.value.trim().toLowerCase();
    var n = 0;
    cards.forEach(function (card, i) {
      var ok = matches(card, i, term, company.value, kind.value);
      card.hidden = !ok;
      if (ok) {
        n++;
        var fold = card.closest('details.fold');
        if (fold && (term || company.value || kind.value)) {
          fold.open = true;
        }
      }
    });
    shown.textContent = n + ' of ' + cards.length + ' companies shown';
    none.hidden = n !== 0;
  }

  q.addEventListener('input', apply);
  company.addEventListener('change', apply);
  kind.addEventListener('change', apply);
  reset.addEventListener('click', function () {
    q.value = '';
    company.value = '';
    kind.value = '';
    apply();
  });

  // A click on a company in the diagram shows its card.
  Array.prototype.forEach.call(document.querySelectorAll('.node-g[data-target]'), function (g) {
    function show() {
      var card = document.getElementById(g.getAttribute('data-target'));
      if (!card) {
        return;
      }
      q.value = '';
      kind.value = '';
      company.value = card.getAttribute('data-company');
      apply();
      card.scrollIntoView({ block: 'start' });
    }
    g.addEventListener('click', show);
    g.addEventListener('keydown', function (e) {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        show();
      }
    });
  });

  // Paper shows every card and every raw request.
  var closed = [];
  window.addEventListener('beforeprint', function () {
    closed = Array.prototype.filter.call(document.querySelectorAll('details'), function (d) { return !d.open; });
    closed.forEach(function (d) { d.open = true; });
  });
  window.addEventListener('afterprint', function () {
    closed.forEach(function (d) { d.open = false; });
    closed = [];
  });
})();
