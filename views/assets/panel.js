// The expert panel page (views/panel.hbs): renders the SurveyJS questionnaire, saves the answers on every page
// change (so the survey resumes, at the first page left open, after the tab is closed) and
// submits them when complete.
// "Not applicable / don't know" (SurveyJS's none value) is sent as null.
(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('seici-config').textContent);
  var status = document.getElementById('save-status');
  var survey = new Survey.Model(config.survey);
  survey.locale = config.locale;
  survey.data = config.answers;
  var locale = config.locale;

  // A returning respondent resumes at the first page with an unanswered question, worked out
  // from the answers the server saved; nothing about the survey or its token is kept in the
  // browser (no localStorage, no cookie).
  function firstOpenPage() {
    var pages = survey.visiblePages;
    for (var p = 0; p < pages.length; p++) {
      var questions = pages[p].questions;
      for (var q = 0; q < questions.length; q++) {
        if (questions[q].isVisible && survey.data[questions[q].name] === undefined) return p;
      }
    }
    return pages.length - 1;
  }
  if (config.answers && Object.keys(config.answers).length > 0) survey.currentPageNo = firstOpenPage();

  function answersOf(data) {
    var answers = {};
    Object.keys(data).forEach(function (id) {
      var v = data[id];
      answers[id] = v === 'none' || v === undefined ? null : v;
    });
    return answers;
  }

  function save(complete) {
    var body = JSON.stringify({ token: config.token, answers: answersOf(survey.data), complete: complete, locale: locale });
    var attempt = 0;
    function send() {
      return fetch(config.endpoint, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: body, credentials: 'omit' })
        .then(function (res) {
          return res.json().then(function (json) {
            if (!res.ok) throw Object.assign(new Error(json.error || 'The answers could not be saved.'), { final: res.status < 500 });
            return json;
          });
        })
        .catch(function (err) {
          attempt++;
          if (err.final || attempt >= 5) throw err;
          return new Promise(function (resolve) { setTimeout(resolve, 500 * attempt); }).then(send);
        });
    }
    return send();
  }

  survey.onCurrentPageChanged.add(function () {
    status.textContent = 'Saving…';
    save(false).then(
      function () { status.textContent = 'Your answers so far are saved.'; },
      function (err) { status.textContent = err.message; }
    );
  });

  survey.onCompleting.add(function (sender, options) {
    if (sender.__seiciSubmitted) return;
    options.allow = false;
    status.textContent = 'Sending your answers…';
    save(true).then(
      function () {
        sender.__seiciSubmitted = true;
        status.textContent = '';
        sender.completeLastPage();
      },
      function (err) { status.textContent = err.message; }
    );
  });

  var select = document.getElementById('language');
  if (select) {
    select.addEventListener('change', function () {
      locale = select.value;
      survey.locale = locale;
      document.documentElement.lang = locale;
    });
  }

  SurveyUI.renderSurvey(survey, document.getElementById('survey'));
})();
