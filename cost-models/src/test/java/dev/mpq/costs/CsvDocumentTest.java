package dev.mpq.costs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import org.junit.jupiter.api.Test;

class CsvDocumentTest {

    @Test
    void readsQuotedFieldsWithCommasAndDoubledQuotes() {
        CsvDocument csv =
                CsvDocument.read(new StringReader("# a comment\na,b,c\n1,\"x, \"\"y\"\"\",  3  \n\n"), "q.csv");
        assertThat(csv.rows()).hasSize(1);
        CsvDocument.Row row = csv.rows().get(0);
        assertThat(row.line()).isEqualTo(3);
        assertThat(row.text("b")).isEqualTo("x, \"y\"");
        assertThat(row.text("c")).isEqualTo("3");
        assertThat(row.integer("a")).isEqualTo(1);
    }

    @Test
    void unclosedQuoteAndDuplicateHeaderAreReportedWithTheirPlace() {
        assertThatThrownBy(() -> CsvDocument.read(new StringReader("a,b\n1,\"open\n"), "q.csv"))
                .hasMessage("q.csv: line 2, column 2: a quoted field is not closed on its line");
        assertThatThrownBy(() -> CsvDocument.read(new StringReader("a,b,a\n"), "q.csv"))
                .hasMessage("q.csv: line 1, column 3 (a): the header names column 'a' twice");
        assertThatThrownBy(() -> CsvDocument.read(new StringReader("# only a comment\n"), "q.csv"))
                .hasMessageContaining("no header line");
    }

    @Test
    void emptyRequiredCellNamesItsColumn() {
        CsvDocument csv = CsvDocument.read(new StringReader("a,b\n1,\n"), "q.csv");
        assertThatThrownBy(() -> csv.rows().get(0).required("b"))
                .hasMessage("q.csv: line 2, column 2 (b): the cell is empty; a value is required");
    }
}
