# Independent computation of the analysis figures for the Go cross-check.
# Usage: Rscript crosscheck.R DIR  (reads DIR/*.csv, writes DIR/r_out.csv)
suppressPackageStartupMessages({ library(survey); library(psych) })
options(warn = -1, survey.lonely.psu = "fail")
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]
items <- read.csv(file.path(dir, "items.csv"), stringsAsFactors = FALSE)
elements <- read.csv(file.path(dir, "elements.csv"), stringsAsFactors = FALSE)
strata <- read.csv(file.path(dir, "strata.csv"), stringsAsFactors = FALSE)
k <- as.integer(readLines(file.path(dir, "k.txt")))
min_cell <- as.integer(readLines(file.path(dir, "min_cell.txt")))
waspada <- 73.0; terjaga <- 78.0 # kpk2025
category <- function(x) { x <- floor(x * 100 + 0.5 + 1e-7) / 100; if (x < waspada) "rentan" else if (x < terjaga) "waspada" else "terjaga" }

# city: the stratified estimate over the units whose cell is published (n >= k)
# (svydesign(ids=~1, strata=~unit, fpc=~N)), or the pooled mean of those
# units without fpc when some unit's N is unknown; t interval at degf.
cityest <- function(x, unit, N, lab = NULL) {
  ok <- !is.na(x)
  d <- data.frame(x = x[ok], unit = unit[ok], N = N[ok])
  if (!is.null(lab)) d$s <- lab[ok]
  if (nrow(d) < 2) return(NULL)
  if (all(d$N > 0) && all(table(d$unit) <= d$N[match(names(table(d$unit)), d$unit)])) {
    if (!is.null(lab)) {
      # each unit's collapsed cells, post-stratified within the stratified design
      cells <- rep(NA_character_, nrow(d)); pops <- list()
      for (u in unique(d$unit)) {
        r <- d$unit == u
        cl <- collapse(d$s[r], strata[strata$unit == u, ], min_cell)
        if (nrow(cl$pop) < 2) return(NULL)
        cells[r] <- paste(u, cl$cell)
        pops[[u]] <- data.frame(s = paste(u, cl$pop$s), Freq = cl$pop$Freq)
      }
      d$s <- cells
      des <- svydesign(ids = ~1, strata = ~unit, fpc = ~N, data = d)
      des <- postStratify(des, ~s, do.call(rbind, pops))
    } else des <- svydesign(ids = ~1, strata = ~unit, fpc = ~N, data = d)
    stratified <- TRUE
  } else {
    des <- svydesign(ids = ~1, data = d)
    stratified <- FALSE
  }
  m <- svymean(~x, des)
  ci <- confint(m, df = degf(des))
  c(n = nrow(d), mean = unname(coef(m)), se = unname(SE(m)), lo = max(0, ci[1]), hi = min(100, ci[2]), df = degf(des), stratified = stratified)
}
out <- list()
emit <- function(...) out[[length(out) + 1]] <<- data.frame(..., stringsAsFactors = FALSE)

# score: item scores 0-100 after reversal, NA when missing
score <- function(d) {
  s <- list()
  for (i in seq_len(nrow(items))) {
    it <- items[i, ]
    v <- d[[it$code]]
    if (it$kind == "ordinal") x <- 100 * (v - 1) / (it$points - 1)
    else if (it$kind == "experience") x <- ifelse(v == 1, 0, 100)
    else next
    if (it$reverse) x <- 100 - x
    s[[it$code]] <- x
  }
  as.data.frame(s)
}

respondent <- function(d) {
  S <- score(d)
  E <- list()
  for (e in elements$code) {
    cols <- items$code[items$element == e & items$kind != "text"]
    m <- rep(NA_real_, nrow(d))
    for (t in c("internal", "external", "expert")) {
      rows <- d$type == t
      seen <- cols[items[match(cols, items$code), t]]
      if (length(seen) == 0) next
      v <- rowMeans(S[rows, seen, drop = FALSE], na.rm = TRUE)
      v[is.nan(v)] <- NA
      m[rows] <- v
    }
    E[[e]] <- m
  }
  E <- as.data.frame(E)
  w <- elements$weight
  comp <- apply(E, 1, function(r) { ok <- !is.na(r) & w > 0; if (!any(ok)) NA else sum(w[ok] * r[ok]) / sum(w[ok]) })
  list(S = S, E = E, comp = comp)
}

# collapse: the post-stratification cells of spi-method v2 section 4. Bands
# are the populated strata in sorted order; the thinnest band under min_cell
# (the first on a tie) merges with its smaller neighbour (the earlier on a
# tie) until every cell holds min_cell; respondents without a known band
# form their own cell at their sample share. Returns the cell of each label
# and the cells' population counts.
collapse <- function(lab, pop, min_cell) {
  pop <- pop[pop$count > 0, ]
  bands <- sort(pop$stratum, method = "radix")
  cnt <- sapply(bands, function(b) sum(lab == b))
  groups <- as.list(seq_along(bands))
  n <- unname(cnt)
  while (length(groups) > 1) {
    thin <- which(n < min_cell)
    if (length(thin) == 0) break
    th <- thin[which.min(n[thin])]
    into <- th - 1
    if (th == 1 || (th < length(groups) && n[th + 1] < n[th - 1])) into <- th + 1
    lo <- min(th, into); hi <- max(th, into)
    groups[[lo]] <- c(groups[[lo]], groups[[hi]]); n[lo] <- n[lo] + n[hi]
    groups[[hi]] <- NULL; n <- n[-hi]
  }
  cellOf <- rep(NA_character_, length(lab))
  Nh <- c()
  W <- 0
  for (g in seq_along(groups)) {
    name <- paste0("c", g)
    bs <- bands[groups[[g]]]
    cellOf[lab %in% bs] <- name
    Nh[name] <- sum(pop$count[match(bs, pop$stratum)])
    W <- W + Nh[name]
  }
  n0 <- sum(is.na(cellOf))
  if (n0 > 0) {
    share <- n0 / length(lab)
    Nh <- Nh * (1 - share)
    Nh["none"] <- W * share
    cellOf[is.na(cellOf)] <- "none"
  }
  Nh <- Nh[names(Nh) %in% cellOf]
  list(cell = cellOf, pop = data.frame(s = names(Nh), Freq = unname(Nh)))
}

svyest <- function(x, N, stratum = NULL, pop = NULL) {
  ok <- !is.na(x)
  df <- data.frame(x = x[ok])
  n <- nrow(df)
  if (n < 2) return(NULL)
  if (!is.null(stratum)) df$s <- stratum[ok]
  if (N > 0 && n <= N) { df$N <- N; des <- svydesign(ids = ~1, fpc = ~N, data = df) }
  else des <- svydesign(ids = ~1, data = df)
  if (!is.null(stratum)) {
    cl <- collapse(df$s, pop, min_cell)
    if (nrow(cl$pop) < 2) return(NULL) # one cell: the unweighted mean, not post-stratified
    df$s <- cl$cell
    if (N > 0 && n <= N) des <- svydesign(ids = ~1, fpc = ~N, data = df) else des <- svydesign(ids = ~1, data = df)
    des <- postStratify(des, ~s, cl$pop)
  }
  m <- svymean(~x, des)
  ci <- confint(m, df = degf(des))
  c(n = n, mean = unname(coef(m)), se = unname(SE(m)), lo = max(0, ci[1]), hi = min(100, ci[2]))
}

period <- function(file, tag) {
  d <- read.csv(file.path(dir, file), stringsAsFactors = FALSE)
  d$stratum[is.na(d$stratum)] <- ""
  r <- respondent(d)
  for (t in c("internal", "external", "expert")) {
    for (u in unique(d$unit)) {
      rows <- d$type == t & d$unit == u
      if (!any(rows)) next
      N <- d$N[rows][1]
      x <- r$comp[rows]
      e <- svyest(x, N)
      if (!is.null(e)) emit(what = paste0(tag, "comp"), unit = u, type = t, key = "", n = e["n"], mean = e["mean"], se = e["se"], lo = e["lo"], hi = e["hi"], p = NA, df = NA)
      if (t == "internal") {
        lab <- d$stratum[rows]
        pop <- strata[strata$unit == u, ]
        e <- svyest(x, N, lab, pop)
        if (!is.null(e)) emit(what = paste0(tag, "pscomp"), unit = u, type = t, key = "", n = e["n"], mean = e["mean"], se = e["se"], lo = e["lo"], hi = e["hi"], p = NA, df = NA)
        for (el in elements$code) {
          xe <- r$E[[el]][rows]
          if (sum(!is.na(xe)) < 2) next
          e <- svyest(xe, N, lab, pop)
          emit(what = paste0(tag, "pselem"), unit = u, type = t, key = el, n = e["n"], mean = e["mean"], se = e["se"], lo = e["lo"], hi = e["hi"], p = NA, df = NA)
        }
      }
      for (el in elements$code) {
        x <- r$E[[el]][rows]
        if (all(is.na(x))) next
        e <- svyest(x, N)
        if (!is.null(e)) emit(what = paste0(tag, "elem"), unit = u, type = t, key = el, n = e["n"], mean = e["mean"], se = e["se"], lo = e["lo"], hi = e["hi"], p = NA, df = NA)
        cols <- items$code[items$element == el & items$kind != "text" & items[[t]]]
        if (length(cols) >= 2) {
          X <- r$S[rows, cols, drop = FALSE]
          X <- X[complete.cases(X), , drop = FALSE]
          if (nrow(X) >= k && all(apply(X, 2, sd) > 0)) {
            a <- suppressMessages(psych::alpha(X, warnings = FALSE, check.keys = FALSE))
            emit(what = paste0(tag, "alpha"), unit = u, type = t, key = el, n = nrow(X), mean = a$total$raw_alpha, se = NA, lo = NA, hi = NA, p = NA, df = NA)
            for (j in seq_along(cols)) {
              emit(what = paste0(tag, "rdrop"), unit = u, type = t, key = paste0(el, ":", cols[j]), n = nrow(X), mean = a$item.stats$r.drop[j], se = NA, lo = NA, hi = NA, p = NA, df = NA)
              if (length(cols) > 2) emit(what = paste0(tag, "adrop"), unit = u, type = t, key = paste0(el, ":", cols[j]), n = nrow(X), mean = a$alpha.drop$raw_alpha[j], se = NA, lo = NA, hi = NA, p = NA, df = NA)
            }
          }
        }
      }
      for (it in items$code[items$kind == "experience" & items[[t]]]) {
        v <- d[[it]][rows]
        v <- v[!is.na(v)]
        if (length(v) == 0) next
        pt <- prop.test(sum(v == 1), length(v), correct = FALSE)
        emit(what = paste0(tag, "prev"), unit = u, type = t, key = it, n = length(v), mean = sum(v == 1) / length(v), se = NA, lo = pt$conf.int[1], hi = pt$conf.int[2], p = NA, df = NA)
      }
    }
  }
  # published cells: a component with n >= k; an element (and its
  # prevalence) with n >= k inside a published component
  compShown <- function(u, t) sum(!is.na(r$comp[d$unit == u & d$type == t])) >= k
  elemShown <- function(u, t, el) compShown(u, t) && sum(!is.na(r$E[[el]][d$unit == u & d$type == t])) >= k
  fam <- list()
  for (t in c("internal", "external", "expert")) {
    units <- Filter(function(u) compShown(u, t), unique(d$unit))
    rows <- d$type == t & d$unit %in% units
    if (!any(rows)) next
    e <- cityest(r$comp[rows], d$unit[rows], d$N[rows])
    emit(what = paste0(tag, "city"), unit = "CITY", type = t, key = "", n = e["n"], mean = e["mean"], se = e["se"], lo = e["lo"], hi = e["hi"], p = e["stratified"], df = e["df"])
    if (t == "internal") {
      e <- cityest(r$comp[rows], d$unit[rows], d$N[rows], d$stratum[rows])
      if (!is.null(e)) emit(what = paste0(tag, "pscity"), unit = "CITY", type = t, key = "", n = e["n"], mean = e["mean"], se = e["se"], lo = e["lo"], hi = e["hi"], p = e["stratified"], df = e["df"])
    }
    for (el in elements$code) {
      eu <- Filter(function(u) elemShown(u, t, el), unique(d$unit))
      rows <- d$type == t & d$unit %in% eu
      if (!any(rows) || all(is.na(r$E[[el]][rows]))) next
      e <- cityest(r$E[[el]][rows], d$unit[rows], d$N[rows])
      emit(what = paste0(tag, "cityelem"), unit = "CITY", type = t, key = el, n = e["n"], mean = e["mean"], se = e["se"], lo = e["lo"], hi = e["hi"], p = e["stratified"], df = e["df"])
      # the family: each published element cell below the rest of the city (one-sided Welch)
      for (u in eu) {
        x <- r$E[[el]][rows & d$unit == u]; x <- x[!is.na(x)]
        y <- r$E[[el]][rows & d$unit != u]; y <- y[!is.na(y)]
        if (length(x) < 2 || length(y) < 2 || (var(x) == 0 && var(y) == 0)) next
        p <- t.test(x, y, alternative = "less")$p.value
        fam[[length(fam) + 1]] <- data.frame(unit = u, type = t, key = paste0("below_rest:", el), p = p)
      }
    }
    # city prevalence over published cells; the family's Fisher tests above the rest
    for (it in items$code[items$kind == "experience" & items[[t]]]) {
      el <- items$element[items$code == it]
      eu <- Filter(function(u) { v <- d[[it]][d$unit == u & d$type == t]; sum(!is.na(v)) >= k && elemShown(u, t, el) }, unique(d$unit))
      if (length(eu) == 0) next
      yes <- sapply(eu, function(u) { v <- d[[it]][d$unit == u & d$type == t]; sum(v == 1, na.rm = TRUE) })
      nn <- sapply(eu, function(u) { v <- d[[it]][d$unit == u & d$type == t]; sum(!is.na(v)) })
      pt <- prop.test(sum(yes), sum(nn), correct = FALSE)
      emit(what = paste0(tag, "cityprev"), unit = "CITY", type = t, key = it, n = sum(nn), mean = sum(yes) / sum(nn), se = NA, lo = pt$conf.int[1], hi = pt$conf.int[2], p = NA, df = NA)
      if (items$reverse[items$code == it] || length(eu) < 2) next
      for (j in seq_along(eu)) {
        y2 <- sum(yes[-j]); n2 <- sum(nn[-j])
        p <- fisher.test(matrix(c(yes[j], nn[j] - yes[j], y2, n2 - y2), 2), alternative = "greater")$p.value
        fam[[length(fam) + 1]] <- data.frame(unit = eu[j], type = t, key = paste0("above_rest:", it), p = p)
      }
    }
  }
  fam <- do.call(rbind, fam)
  fam$q <- p.adjust(fam$p, "BH")
  for (i in seq_len(nrow(fam))) emit(what = paste0(tag, "bh"), unit = fam$unit[i], type = fam$type[i], key = fam$key[i], n = nrow(fam), mean = fam$q[i], se = NA, lo = NA, hi = NA, p = fam$p[i], df = NA)
  # unit index: equal weights over the types with a published component;
  # the category of the value as published (half up to 2 decimals)
  est <- list()
  for (u in unique(d$unit)) {
    means <- c(); ses <- c(); dfs <- c()
    for (t in c("internal", "external", "expert")) {
      if (!compShown(u, t)) next
      rows <- d$type == t & d$unit == u
      e <- svyest(r$comp[rows], d$N[rows][1])
      est[[paste(u, t)]] <- e
      means <- c(means, e["mean"]); ses <- c(ses, e["se"]); dfs <- c(dfs, e["n"] - 1)
    }
    if (length(means) == 0) next
    w <- 1 / length(means)
    idx <- min(100, max(0, sum(w * means)))
    se <- sqrt(sum(w^2 * ses^2))
    emit(what = paste0(tag, "index"), unit = u, type = category(idx), key = if (length(means) < 3) "partial" else "", n = length(means), mean = idx, se = se, lo = NA, hi = NA, p = NA, df = NA)
  }
  list(d = d, comp = r$comp, est = est)
}

p1 <- period("responses1.csv", "")
p2 <- period("responses2.csv", "p2")
# trends: the difference of the two published estimates, SE sqrt(se1^2 + se2^2),
# Welch-Satterthwaite df from n - 1 on each side, t interval, two-sided p
for (t in c("internal", "external", "expert")) {
  for (u in unique(p1$d$unit)) {
    a <- p1$est[[paste(u, t)]]; b <- p2$est[[paste(u, t)]]
    if (is.null(a) || is.null(b)) next
    d <- unname(b["mean"] - a["mean"])
    va <- unname(a["se"])^2; vb <- unname(b["se"])^2
    se <- sqrt(va + vb)
    df <- (va + vb)^2 / (va^2 / (a["n"] - 1) + vb^2 / (b["n"] - 1))
    h <- qt(0.975, df) * se
    emit(what = "trend", unit = u, type = t, key = "", n = NA, mean = d, se = se, lo = d - h, hi = d + h, p = 2 * pt(-abs(d) / se, df), df = unname(df))
  }
}
write.csv(do.call(rbind, out), file.path(dir, "r_out.csv"), row.names = FALSE)
